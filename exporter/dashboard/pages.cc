#include "dashboard/pages.h"

namespace observd {
namespace {

constexpr PageFile kPages[] = {
    {"pages/index.html", "/"},
    {"pages/observability.html", "/dashboard/observability"},
    {"pages/uploads.html", "/dashboard/uploads"},
};

}  // namespace

std::span<const PageFile> Pages() { return kPages; }

}  // namespace observd
