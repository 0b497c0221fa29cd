// vnsearch — a document as stored in an index.
#pragma once

#include <map>
#include <string>

namespace vnsearch {

/// An article. Only `id` is required. `date` is ISO 8601 ("2024-07-25", "2018-10-29T08:11:00",
/// or a prefix of it such as "2019" or "2019-02"); an empty date means "no date".
struct Document {
    std::string id;
    std::string title;
    std::string body;
    std::string date;
    std::string source;
    std::string url;
    std::string author;
    std::map<std::string, std::string> fields;  ///< extra stored fields, returned with hits

    Document() = default;
    explicit Document(std::string id_) : id(std::move(id_)) {}
};

}  // namespace vnsearch
