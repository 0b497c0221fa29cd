#include "index/abbreviation_store.h"

#include <algorithm>
#include <map>
#include <optional>
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

/// THE codec of the abbreviations metadata. One key per pair,
/// kAbbreviationPrefix + "ABBR\texpansion", valued "count\tlearned|user", so a commit writes
/// only the pairs its batch saw, whatever the index already holds. (Before, all pairs were one
/// value, "ABBR\texpansion\tcount\tlearned|user\n"..., rewritten whole at every commit; it is
/// still read, and moved to the per-pair keys at the next commit that stores a pair.)
std::string pair_key(const std::string& abbr, const std::string& expansion) {
    std::string k(scheme::kAbbreviationPrefix);
    k.append(abbr).push_back('\t');
    k.append(expansion);
    return k;
}

/// The older single value (only merged, by the builder and compaction, never written anew).
std::string encode_pairs(const std::vector<AbbreviationPair>& pairs) {
    std::string v;
    for (const auto& p : pairs)
        v += p.abbr + '\t' + p.expansion + '\t' + std::to_string(p.count) + '\t' + (p.user ? "user" : "learned") + '\n';
    return v;
}

std::string pair_value(std::uint64_t count, bool user) { return std::to_string(count) + (user ? "\tuser" : "\tlearned"); }

/// The pair a metadata key and value hold (nullopt for another key or a malformed one).
std::optional<AbbreviationPair> decode_pair(std::string_view key, std::string_view value) {
    if (key.substr(0, scheme::kAbbreviationPrefix.size()) != scheme::kAbbreviationPrefix) return std::nullopt;
    key.remove_prefix(scheme::kAbbreviationPrefix.size());
    const std::size_t tab = key.find('\t');
    if (tab == std::string_view::npos) return std::nullopt;
    const auto f = split(value, '\t');
    return AbbreviationPair{std::string(key.substr(0, tab)), std::string(key.substr(tab + 1)),
                            std::strtoull(std::string(f[0]).c_str(), nullptr, 10), f.size() > 1 && f[1] == "user"};
}

/// Every pair a database stores: the per-pair keys, and the pairs of the older single value.
template <class F>
void for_each_stored_pair(const Xapian::Database& db, F&& f) {
    for (auto& p : parse_pairs(db.get_metadata(std::string(scheme::kAbbreviationsKey)))) f(std::move(p));
    const std::string prefix(scheme::kAbbreviationPrefix);
    for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it)
        if (auto p = decode_pair(*it, db.get_metadata(*it))) f(std::move(*p));
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

void add_unique(std::vector<std::string>& v, std::string s) {
    if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

/// Built-in dictionary, indexed both ways.
struct BuiltinIndex {
    std::unordered_map<std::string, std::vector<std::string>> by_abbr, by_expansion, written;
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
            add_unique(b.written[key], vnsearch::normalize(a.abbr));
        }
        return b;
    }();
    return idx;
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
    // Pairs still in the older single value move to their own keys first.
    const std::string legacy_key(scheme::kAbbreviationsKey);
    for (const auto& p : parse_pairs(db.get_metadata(legacy_key))) {
        auto& e = pairs_[{p.abbr, p.expansion}];
        e.first += p.count;
        e.second = e.second || p.user;
    }
    db.set_metadata(legacy_key, "");
    for (const auto& [pair, cu] : pairs_) {
        if (analysis::abbreviation_key(pair.first).empty() || analysis::expansion_key(pair.second).empty()) continue;
        const std::string key = pair_key(pair.first, pair.second);
        if (key.size() > scheme::kMaxMetadataKeyBytes) continue;  // Xapian's key limit; such a pair is not an abbreviation
        std::uint64_t count = cu.first;
        bool user = cu.second;
        if (auto stored = decode_pair(key, db.get_metadata(key))) count += stored->count, user = user || stored->user;
        db.set_metadata(key, pair_value(count, user));
    }
    pairs_.clear();
}

AbbreviationLookup::AbbreviationLookup(const std::vector<Xapian::Database>& shards) {
    for (const auto& [key, expansions] : builtin_index().by_abbr)
        for (const auto& e : expansions) add_unique(by_abbr_[key], e);
    for (const auto& [key, abbrs] : builtin_index().by_expansion)
        for (const auto& a : abbrs) add_unique(by_expansion_[key], a);
    written_ = builtin_index().written;
    for (const auto& shard : shards)
        for_each_stored_pair(shard, [&](AbbreviationPair p) {
            const std::string akey = analysis::abbreviation_key(p.abbr), ekey = analysis::expansion_key(p.expansion);
            if (akey.empty() || ekey.empty()) return;
            add_unique(by_abbr_[akey], p.expansion);
            add_unique(by_expansion_[ekey], akey);
            add_unique(written_[akey], p.abbr);
        });
}

std::vector<std::string> AbbreviationLookup::expansions(const std::string& key) const {
    auto it = by_abbr_.find(key);
    return it == by_abbr_.end() ? std::vector<std::string>{} : it->second;
}

std::vector<std::string> AbbreviationLookup::abbreviations(const std::string& key) const {
    auto it = by_expansion_.find(key);
    return it == by_expansion_.end() ? std::vector<std::string>{} : it->second;
}

const std::vector<std::string>& AbbreviationLookup::written(const std::string& key) const {
    static const std::vector<std::string> none;
    auto it = written_.find(key);
    return it == written_.end() ? none : it->second;
}

std::optional<std::string> merge_metadata(std::string_view key, const std::string values[], std::size_t n) {
    if (key == scheme::kAbbreviationsKey) {
        std::vector<AbbreviationPair> pairs;
        std::map<std::pair<std::string, std::string>, std::size_t> where;
        for (std::size_t i = 0; i < n; ++i)
            for (const auto& p : parse_pairs(values[i])) add_pair(pairs, where, p.abbr, p.expansion, p.count, p.user);
        return encode_pairs(pairs);
    }
    if (key.substr(0, scheme::kAbbreviationPrefix.size()) != scheme::kAbbreviationPrefix) return std::nullopt;
    std::uint64_t count = 0;
    bool user = false;
    for (std::size_t i = 0; i < n; ++i)
        if (auto p = decode_pair(key, values[i])) count += p->count, user = user || p->user;
    return pair_value(count, user);
}

std::vector<AbbreviationPair> stored_pairs(const Xapian::Database& db) { return stored_pairs(std::vector<Xapian::Database>{db}); }

std::vector<AbbreviationPair> stored_pairs(const std::vector<Xapian::Database>& shards) {
    std::vector<AbbreviationPair> out;
    std::map<std::pair<std::string, std::string>, std::size_t> where;
    for (const auto& db : shards)
        for_each_stored_pair(db, [&](AbbreviationPair p) { add_pair(out, where, p.abbr, p.expansion, p.count, p.user); });
    std::sort(out.begin(), out.end(), [](const AbbreviationPair& a, const AbbreviationPair& b) {
        return a.count != b.count ? a.count > b.count : a.abbr < b.abbr;
    });
    return out;
}

}  // namespace vnsearch::detail
