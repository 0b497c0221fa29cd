#include "index/abbreviation_store.h"

#include <map>

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

/// THE codec of the abbreviations metadata value: "ABBR\texpansion\tcount\tlearned|user\n"...
std::string encode_pairs(const std::vector<AbbreviationPair>& pairs) {
    std::string v;
    for (const auto& p : pairs)
        v += p.abbr + '\t' + p.expansion + '\t' + std::to_string(p.count) + '\t' + (p.user ? "user" : "learned") + '\n';
    return v;
}

/// Adds `count` (and the user flag) to the pair, appending it when new; `where` indexes
/// `pairs` by (abbreviation, expansion), so merging is linear.
void add_pair(std::vector<AbbreviationPair>& pairs, std::map<std::pair<std::string, std::string>, std::size_t>& where,
              const std::string& abbr, const std::string& expansion, std::uint64_t count, bool user) {
    auto [it, fresh] = where.try_emplace(std::pair{abbr, expansion}, pairs.size());
    if (fresh) pairs.push_back(AbbreviationPair{abbr, expansion, 0, false});
    AbbreviationPair& p = pairs[it->second];
    p.count += count;
    p.user = p.user || user;
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

void PairCollector::merge(PairCollector&& other) {
    for (auto& [pair, cu] : other.pairs_) {
        auto& e = pairs_[pair];
        e.first += cu.first;
        e.second = e.second || cu.second;
    }
    other.pairs_.clear();
}

void PairCollector::flush(Xapian::WritableDatabase& db) {
    if (pairs_.empty()) return;
    const std::string key(scheme::kAbbreviationsKey);
    auto pairs = parse_pairs(db.get_metadata(key));
    std::map<std::pair<std::string, std::string>, std::size_t> where;
    for (std::size_t i = 0; i < pairs.size(); ++i) where.emplace(std::pair{pairs[i].abbr, pairs[i].expansion}, i);
    for (const auto& [pair, cu] : pairs_) {
        if (analysis::abbreviation_key(pair.first).empty() || analysis::expansion_key(pair.second).empty()) continue;
        add_pair(pairs, where, pair.first, pair.second, cu.first, cu.second);
    }
    const std::string v = encode_pairs(pairs);
    db.set_metadata(key, v);
    pairs_.clear();
}

AbbreviationLookup::AbbreviationLookup(const std::vector<Xapian::Database>& shards) {
    for (const auto& [key, expansions] : builtin_index().by_abbr)
        for (const auto& e : expansions) add_unique(by_abbr_[key], e);
    for (const auto& [key, abbrs] : builtin_index().by_expansion)
        for (const auto& a : abbrs) add_unique(by_expansion_[key], a);
    for (const auto& shard : shards) {
        const std::string value = shard.get_metadata(std::string(scheme::kAbbreviationsKey));
        for (auto& p : parse_pairs(value)) {
            const std::string akey = analysis::abbreviation_key(p.abbr), ekey = analysis::expansion_key(p.expansion);
            if (akey.empty() || ekey.empty()) continue;
            add_unique(by_abbr_[akey], p.expansion);
            add_unique(by_expansion_[ekey], akey);
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

std::string merge_stored_pairs(const std::string values[], std::size_t n) {
    std::vector<AbbreviationPair> pairs;
    std::map<std::pair<std::string, std::string>, std::size_t> where;
    for (std::size_t i = 0; i < n; ++i)
        for (const auto& p : parse_pairs(values[i])) add_pair(pairs, where, p.abbr, p.expansion, p.count, p.user);
    return encode_pairs(pairs);
}

std::vector<AbbreviationPair> stored_pairs(const Xapian::Database& db) {
    const std::string value = db.get_metadata(std::string(scheme::kAbbreviationsKey));
    auto out = parse_pairs(value);
    std::sort(out.begin(), out.end(), [](const AbbreviationPair& a, const AbbreviationPair& b) {
        return a.count != b.count ? a.count > b.count : a.abbr < b.abbr;
    });
    return out;
}

}  // namespace vnsearch::detail
