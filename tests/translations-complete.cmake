# A CTest test (label gui): lupdate reads the desktop app's sources into a copy of each translations/*.ts file, and
# the test fails when any string is left unfinished, so a new user-visible string cannot ship untranslated.
#     cmake -DLUPDATE=... -DSOURCE_DIR=... -DWORK_DIR=... -P translations-complete.cmake
file(GLOB ts_files ${SOURCE_DIR}/translations/gatehouse_*.ts)
if(NOT ts_files)
    message(FATAL_ERROR "no translations in ${SOURCE_DIR}/translations")
endif()
file(MAKE_DIRECTORY ${WORK_DIR})
set(failed "")
foreach(ts ${ts_files})
    get_filename_component(name ${ts} NAME)
    file(COPY ${ts} DESTINATION ${WORK_DIR})
    execute_process(COMMAND ${LUPDATE} -no-obsolete -locations none ${SOURCE_DIR}/gui -ts ${WORK_DIR}/${name}
        RESULT_VARIABLE status OUTPUT_QUIET ERROR_VARIABLE errors)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "lupdate failed on ${name}: ${errors}")
    endif()
    file(STRINGS ${WORK_DIR}/${name} unfinished REGEX "type=\"unfinished\"")
    list(LENGTH unfinished count)
    message(STATUS "${name}: ${count} unfinished")
    if(count GREATER 0)
        string(APPEND failed " ${name} (${count})")
    endif()
endforeach()
if(failed)
    message(FATAL_ERROR "strings left untranslated in${failed}: run cmake --build build --target update_translations "
        "and translate them")
endif()
