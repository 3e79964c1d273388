// observd_site_manifest: a build-time check of the site's sources (frontend/) against
// the panel table and the page list. Fails (and so fails the build) when a template a
// panel names is missing from templates/, a page of the page list has no source under
// pages/, a page source is not in the page list, or a panel's slot on a page disagrees
// with its row (data-poll, sse-swap) or is on no page, or a page's event stream asks for
// a topic that does not exist or leaves out one its slots swap. On success writes the manifest
// (JSON: pages, panels, topics) that tests/e2e/support/mock-observd.mjs serves from.
//   observd_site_manifest <frontend dir> <manifest.json>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "dashboard/pages.h"
#include "dashboard/panels.h"
#include "dashboard/site_query.h"
#include "util/file.h"

namespace fs = std::filesystem;
using observd::PageFile;
using observd::Panel;

namespace {

int problems = 0;

void Problem(const std::string& what) {
  std::cerr << "observd_site_manifest: " << what << "\n";
  ++problems;
}

// A page source's text (util's ReadFile, the one whole-file reader); a problem if unread.
std::string PageText(const fs::path& p) {
  observd::Result<std::string> text = observd::ReadFile(p.string(), 4 << 20);
  if (!text) Problem(p.string() + ": " + text.error());
  return text ? std::move(*text) : std::string();
}

// The value of attribute `name` in the tag `tag`, or "" when absent.
std::string Attribute(const std::string& tag, const std::string& name) {
  const std::string needle = " " + name + "=\"";
  size_t at = tag.find(needle);
  if (at == std::string::npos) return "";
  at += needle.size();
  return tag.substr(at, tag.find('"', at) - at);
}

// Checks every slot of `panel` on the page `html` (the tags with hx-get="<route>...");
// returns how many there are.
int CheckSlots(const Panel& panel, const std::string& page, const std::string& html) {
  int slots = 0;
  const std::string needle = "hx-get=\"" + std::string(panel.route);
  for (size_t at = html.find(needle); at != std::string::npos; at = html.find(needle, at + 1)) {
    const char next = html[at + needle.size()];
    if (next != '"' && next != '?') continue;  // a longer route sharing the prefix
    ++slots;
    size_t open = html.rfind('<', at);
    std::string tag = html.substr(open, html.find('>', at) - open);
    std::replace(tag.begin(), tag.end(), '\n', ' ');
    if (Attribute(tag, "data-poll") != std::to_string(panel.poll_seconds)) {
      Problem(page + ": the " + std::string(panel.name) + " slot must have data-poll=\"" +
              std::to_string(panel.poll_seconds) + "\" (dashboard/panels.cc)");
    }
    if (!panel.topic.empty() && Attribute(tag, "sse-swap") != panel.topic) {
      Problem(page + ": the " + std::string(panel.name) + " slot must have sse-swap=\"" +
              std::string(panel.topic) + "\" (dashboard/panels.cc)");
    }
  }
  return slots;
}

// The page's event stream (sse-connect) must name existing topics only, and every topic
// a slot on the page swaps: a missing one leaves that panel polling, an unknown one makes
// the whole stream a 400.
void CheckStream(const std::string& page, const std::string& html,
                 const std::vector<const Panel*>& slotted) {
  const size_t tag_at = html.find("sse-connect=\"");
  std::vector<const Panel*> streamed;
  for (const Panel* p : slotted) {
    if (!p->topic.empty()) streamed.push_back(p);
  }
  if (tag_at == std::string::npos) {
    for (const Panel* p : streamed) {
      Problem(page + ": the " + std::string(p->name) + " slot swaps SSE events, but the page " +
              "has no sse-connect");
    }
    return;
  }
  const size_t open = html.rfind('<', tag_at);
  const std::string raw =
      Attribute(html.substr(open, html.find('>', tag_at) - open), "sse-connect");
  std::string url;  // the attribute with "&amp;" back to "&"
  for (size_t i = 0; i < raw.size();) {
    const bool amp = raw.compare(i, 5, "&amp;") == 0;
    url += raw[i];
    i += amp ? 5 : 1;
  }
  const size_t q = url.find('?');
  auto topics = observd::ParseEventTopics(q == std::string::npos ? "" : url.c_str() + q + 1);
  if (!topics) {
    Problem(page + ": sse-connect=\"" + url + "\": " + topics.error());
    return;
  }
  for (const Panel* p : streamed) {
    if (!topics->has(p->topic)) {
      Problem(page + ": sse-connect leaves out the topic " + std::string(p->topic) + " that the " +
              std::string(p->name) + " slot swaps");
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: observd_site_manifest <frontend dir> <manifest.json>\n";
    return 2;
  }
  const fs::path frontend = argv[1];
  const fs::path templates = frontend / "templates";
  for (const std::string& name : observd::RequiredTemplates()) {
    if (!fs::is_regular_file(templates / (name + ".mustache"))) {
      Problem("no template " + name + ".mustache for the panel table (frontend/templates/)");
    }
  }
  nlohmann::json manifest;
  std::set<std::string> listed;
  for (const PageFile& page : observd::Pages()) {
    listed.emplace(page.file);
    manifest["pages"][std::string(page.url)] = std::string(page.file);
    if (!fs::is_regular_file(frontend / page.file)) {
      Problem("frontend/" + std::string(page.file) +
              " of the page list (dashboard/pages.cc) is missing");
    }
  }
  std::error_code ec;
  std::map<std::string, std::string> pages;  // file -> html
  for (const auto& entry : fs::directory_iterator(frontend / "pages", ec)) {
    const std::string rel = "pages/" + entry.path().filename().string();
    if (entry.path().extension() != ".html") continue;
    if (!listed.count(rel))
      Problem("frontend/" + rel + " is not in the page list (dashboard/pages.cc)");
    pages[rel] = PageText(entry.path());
  }
  std::map<std::string, std::vector<const Panel*>> slotted;  // page file -> panels on it
  for (const Panel& panel : observd::Panels()) {
    int slots = 0;
    for (const auto& [file, html] : pages) {
      const int here = CheckSlots(panel, file, html);
      if (here > 0) slotted[file].push_back(&panel);
      slots += here;
    }
    if (slots == 0) Problem("no page has a slot for the " + std::string(panel.name) + " panel");
    manifest["panels"].push_back({{"name", std::string(panel.name)},
                                  {"route", std::string(panel.route)},
                                  {"topic", std::string(panel.topic)},
                                  {"poll_seconds", panel.poll_seconds}});
  }
  for (const auto& [file, html] : pages) CheckStream(file, html, slotted[file]);
  manifest["topics"] = observd::EventTopicNames();
  if (problems) return 1;
  std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
  out << manifest.dump(2) << "\n";
  return out.good() ? 0 : 1;
}
