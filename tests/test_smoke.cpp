#include <catch2/catch.hpp>
#include <vnsearch/vnsearch.h>

TEST_CASE("library reports its version", "[smoke]") {
    REQUIRE(std::string(vnsearch::version()) == "0.1.0");
}
