// vnsearch — the command-line tool.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vnsearch/vnsearch.h>

namespace {

std::string read_stdin() {
    std::string s((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    return s;
}

int cmd_analyze(const std::string& arg, bool json) {
    std::string input = arg == "-" ? read_stdin() : arg;
    // Offsets refer to the UTF-8 text: the input itself, or its UTF-8 decoding when it
    // starts with a UTF-16 byte-order mark.
    vnsearch::Decoded decoded;
    std::string_view text = input;
    if (input.size() >= 2 && (input.compare(0, 2, "\xFF\xFE") == 0 || input.compare(0, 2, "\xFE\xFF") == 0)) {
        decoded = vnsearch::decode(input);
        text = decoded.text;
    }
    vnsearch::Analyzer analyzer;
    nlohmann::ordered_json tokens = nlohmann::ordered_json::array();
    auto stats = analyzer.analyze(text, [&](const vnsearch::Token& t) {
        if (json) {
            tokens.push_back({{"text", t.text},
                              {"exact", t.exact},
                              {"folded", t.folded},
                              {"start", t.start},
                              {"end", t.end},
                              {"position", t.position},
                              {"kind", std::string(vnsearch::kind_name(t.kind))}});
        } else {
            std::cout << t.position << '\t' << t.start << '-' << t.end << '\t' << vnsearch::kind_name(t.kind)
                      << '\t' << t.text << '\t' << t.exact << '\t' << t.folded << (t.part ? "\t(part)" : "")
                      << '\n';
        }
    });
    if (json) {
        // Invalid UTF-8 in token text is replaced (U+FFFD) so the output is always valid JSON.
        nlohmann::ordered_json out = {{"tokens", tokens}};
        std::cout << out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
    }
    if (stats.invalid_bytes) std::cerr << "vnsearch: warning: " << stats.invalid_bytes << " invalid UTF-8 byte(s) treated as separators\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"vnsearch — full-text search for Vietnamese"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string(vnsearch::version()));

    auto* analyze = app.add_subcommand("analyze", "Show the tokens vnsearch makes of TEXT");
    std::string text;
    bool json = false;
    analyze->add_option("TEXT", text, "Text to analyze ('-' reads standard input)")->required();
    analyze->add_flag("--json", json, "Print {\"tokens\": [...]} as JSON");

    CLI11_PARSE(app, argc, argv);
    try {
        if (analyze->parsed()) return cmd_analyze(text, json);
    } catch (const vnsearch::Error& e) {
        std::cerr << "vnsearch: error: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
