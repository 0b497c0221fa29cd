// vnsearch — umbrella header: embedded full-text search for Vietnamese.
#pragma once

#include "vnsearch/analysis.h"
#include "vnsearch/document.h"
#include "vnsearch/error.h"
#include "vnsearch/export.h"
#include "vnsearch/index.h"
#include "vnsearch/places.h"
#include "vnsearch/ingest.h"
#include "vnsearch/search.h"
#include "vnsearch/text.h"
#include "vnsearch/version.h"
