#include <catch2/catch.hpp>
#include <string>
#include <vnsearch/vnsearch.h>

TEST_CASE("library reports its version", "[smoke]") {
    REQUIRE(std::string(vnsearch::version()) == "0.1.0");
}

TEST_CASE("version macros agree with the library and with each other", "[smoke]") {
    REQUIRE(std::string(vnsearch::version()) == VNSEARCH_VERSION_STRING);
    REQUIRE(std::to_string(VNSEARCH_VERSION_MAJOR) + "." + std::to_string(VNSEARCH_VERSION_MINOR) + "." +
                std::to_string(VNSEARCH_VERSION_PATCH) ==
            VNSEARCH_VERSION_STRING);
    STATIC_REQUIRE(VNSEARCH_VERSION_NUMBER ==
                   VNSEARCH_VERSION_MAJOR * 10000 + VNSEARCH_VERSION_MINOR * 100 + VNSEARCH_VERSION_PATCH);
}
