#pragma once

// The headers of /api requests the proxy port forwards to the admin listener on loopback: the caller's address,
// which the admin listener believes only next to this process's random forward token.
namespace AdminForwardHeaders {
inline constexpr const char* kClientAddress = "x-gatehouse-client-address";
inline constexpr const char* kForwardToken = "x-gatehouse-forward-token";
} // namespace AdminForwardHeaders
