#include "index/abbreviation_store.h"

#include <algorithm>
#include <unordered_map>

#include "analysis/abbreviations.h"
#include "index/term_scheme.h"
#include "vnsearch/text.h"

namespace vnsearch::detail {

namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while (pos <= s.size()) {
        std::size_t e = s.find(sep, pos);
        if (e == std::string_view::npos) e = s.size();
        out.push_back(s.substr(pos, e - pos));
        pos = e + 1;
    }
    return out;
}

std::vector<AbbreviationPair> parse_pairs(std::string_view value) {
    std::vector<AbbreviationPair> out;
    for (auto line : split(value, '\n')) {
        auto f = split(line, '\t');
        if (f.size() < 3) continue;
        AbbreviationPair p{std::string(f[0]), std::string(f[1]), std::strtoull(std::string(f[2]).c_str(), nullptr, 10),
                           f.size() > 3 && f[3] == "user"};
        out.push_back(std::move(p));
    }
    return out;
}

/// Built-in dictionary, indexed both ways.
struct BuiltinIndex {
    std::unordered_map<std::string, std::vector<std::string>> by_abbr, by_expansion;
};

const BuiltinIndex& builtin_index() {
    static const BuiltinIndex idx = [] {
        BuiltinIndex b;
        for (const auto& a : analysis::builtin_abbreviations()) {
            const std::string key = analysis::abbreviation_key(a.abbr);
            if (key.empty()) continue;
            const std::string expansion = vnsearch::lower(a.expansion);
            b.by_abbr[key].push_back(expansion);
            b.by_expansion[analysis::expansion_key(expansion)].push_back(key);
        }
        return b;
    }();
    return idx;
}

void add_unique(std::vector<std::string>& v, std::string s) {
    if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

}  // namespace

void PairCollector::learn(std::string_view text) {
    analysis::find_definitions(text, [&](std::string_view abbr, std::string_view expansion) {
        auto& e = pairs_[{vnsearch::normalize(abbr), vnsearch::lower(expansion)}];
        ++e.first;
    });
}

void PairCollector::add_user(std::string_view abbr, std::string_view expansion) {
    auto& e = pairs_[{vnsearch::normalize(abbr), vnsearch::lower(expansion)}];
    ++e.first;
    e.second = true;
}

void PairCollector::flush(Xapian::WritableDatabase& db) {
    for (const auto& [pair, cu] : pairs_) {
        const auto& [abbr, expansion] = pair;
        const std::string akey = analysis::abbreviation_key(abbr), ekey = analysis::expansion_key(expansion);
        if (akey.empty() || ekey.empty()) continue;
        const std::string k1 = std::string(scheme::kAbbreviationKey) + akey;
        const std::string k2 = std::string(scheme::kExpansionKey) + ekey;
        if (k1.size() > 200 || k2.size() > 200) continue;  // Xapian's key limit is near 245 bytes
        auto pairs = parse_pairs(db.get_metadata(k1));
        auto it = std::find_if(pairs.begin(), pairs.end(),
                               [&](const AbbreviationPair& p) { return p.abbr == abbr && p.expansion == expansion; });
        if (it == pairs.end()) it = pairs.insert(pairs.end(), AbbreviationPair{abbr, expansion, 0, false});
        it->count += cu.first;
        it->user = it->user || cu.second;
        std::string v;
        for (const auto& p : pairs)
            v += p.abbr + '\t' + p.expansion + '\t' + std::to_string(p.count) + '\t' + (p.user ? "user" : "learned") + '\n';
        db.set_metadata(k1, v);
        // The reverse direction: expansion -> abbreviation keys.
        std::string rv = db.get_metadata(k2);
        bool have = false;
        for (auto line : split(rv, '\n'))
            if (line == akey) have = true;
        if (!have) db.set_metadata(k2, rv + akey + '\n');
    }
    pairs_.clear();
}

AbbreviationLookup::AbbreviationLookup(const std::vector<Xapian::Database>& shards) {
    for (const auto& [key, expansions] : builtin_index().by_abbr)
        for (const auto& e : expansions) add_unique(by_abbr_[key], e);
    for (const auto& [key, abbrs] : builtin_index().by_expansion)
        for (const auto& a : abbrs) add_unique(by_expansion_[key], a);
    const std::string pairs_prefix(scheme::kAbbreviationKey), reverse_prefix(scheme::kExpansionKey);
    for (const auto& shard : shards) {
        for (auto it = shard.metadata_keys_begin(pairs_prefix); it != shard.metadata_keys_end(pairs_prefix); ++it) {
            auto& v = by_abbr_[(*it).substr(pairs_prefix.size())];
            for (auto& p : parse_pairs(shard.get_metadata(*it))) add_unique(v, std::move(p.expansion));
        }
        for (auto it = shard.metadata_keys_begin(reverse_prefix); it != shard.metadata_keys_end(reverse_prefix); ++it) {
            auto& v = by_expansion_[(*it).substr(reverse_prefix.size())];
            for (auto line : split(shard.get_metadata(*it), '\n'))
                if (!line.empty()) add_unique(v, std::string(line));
        }
    }
}

std::vector<std::string> AbbreviationLookup::expansions(const std::string& key) const {
    auto it = by_abbr_.find(key);
    return it == by_abbr_.end() ? std::vector<std::string>{} : it->second;
}

std::vector<std::string> AbbreviationLookup::abbreviations(const std::string& key) const {
    auto it = by_expansion_.find(key);
    return it == by_expansion_.end() ? std::vector<std::string>{} : it->second;
}

std::vector<AbbreviationPair> stored_pairs(const Xapian::Database& db) {
    std::vector<AbbreviationPair> out;
    const std::string prefix(scheme::kAbbreviationKey);
    for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it)
        for (auto& p : parse_pairs(db.get_metadata(*it))) out.push_back(std::move(p));
    std::sort(out.begin(), out.end(), [](const AbbreviationPair& a, const AbbreviationPair& b) {
        return a.count != b.count ? a.count > b.count : a.abbr < b.abbr;
    });
    return out;
}

}  // namespace vnsearch::detail
