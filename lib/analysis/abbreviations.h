// Internal: Vietnamese abbreviations (HĐND = hội đồng nhân dân): the shipped dictionary
// (abbreviations.tsv, compiled in), the letter check, and the learner that finds inline
// definitions ("Hội đồng nhân dân (HĐND)") in indexed text.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace vnsearch::analysis {

struct Abbreviation {
    std::string abbr;        ///< as written: "HĐND"
    std::string expansion;   ///< lowercase NFC (names keep their capitals): "hội đồng nhân dân"
    bool irregular = false;  ///< its letters are not the expansion's initials (TW = trung ương)
};

/// The dictionary shipped with vnsearch (lib/analysis/abbreviations.tsv).
const std::vector<Abbreviation>& builtin_abbreviations();

/// True when the initials of the expansion's syllables spell the abbreviation's letters, in
/// order: case and marks ignored except that Đ must be đ (and D must be d); '-', '.', '&'
/// and spaces in the abbreviation are ignored; a "và" in the expansion may be skipped.
bool initials_match(std::string_view abbr, std::string_view expansion);

/// Inline definitions in text: "Hội đồng nhân dân (HĐND)" and "HĐND (Hội đồng nhân dân)".
/// The abbreviation is 2-8 capital letters (Đ included, no digits); the expansion is the run
/// of syllables next to it whose initials match. sink(abbr, expansion) gets both as written.
void find_definitions(std::string_view text,
                      const std::function<void(std::string_view abbr, std::string_view expansion)>& sink);

/// Whether a token written this way may be an abbreviation (2-8 letters, all capitals).
bool looks_like_abbreviation(std::string_view word);

/// The key of an abbreviation: what the analyzer folds it to as one token ("HĐND" -> "hdnd");
/// "" when it is not one token.
std::string abbreviation_key(std::string_view abbr);

/// The key of an expansion: its folded syllables joined by spaces ("hoi dong nhan dan").
std::string expansion_key(std::string_view expansion);

}  // namespace vnsearch::analysis
