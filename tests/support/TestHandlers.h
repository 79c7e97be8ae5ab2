#pragma once

#include "http/HttpRequestHandler.h"

// Request handlers the engine tests share. "/echo" answers with the request body (read whole) and the method in
// X-Method; "/chunked" answers "alpha" "beta" "gamma" without Content-Length; "/delay/<ms>" answers "delayed <ms>"
// after that many milliseconds; "/reject" answers 401 without reading the body; anything else answers "hello".
HttpRequestHandlerFactory testHandlerFactory();
