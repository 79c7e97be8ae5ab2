#include "TestRegistry.h"

#include <cstdio>
#include <cstring>
#include <map>
#include <string>

namespace {

std::map<std::string, TestRegistry::Run>& tests()
{
    static std::map<std::string, TestRegistry::Run> registered;
    return registered;
}

} // namespace

bool TestRegistry::add(const char* testClass, Run run)
{
    return tests().emplace(testClass, run).second;
}

int TestRegistry::main(int argc, char** argv)
{
    const auto found = argc > 1 ? tests().find(argv[1]) : tests().end();
    if (found == tests().end()) {
        std::fprintf(stderr, "usage: %s TestClass [Qt Test arguments]\ntest classes:\n", argv[0]);
        for (const auto& [name, run] : tests())
            std::fprintf(stderr, "  %s\n", name.c_str());
        return 2;
    }
    // Qt Test sees the program and the arguments after the class name.
    argv[1] = argv[0];
    return found->second(argc - 1, argv + 1);
}
