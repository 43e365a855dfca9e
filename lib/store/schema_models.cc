#include "lib/store/schema.h"

namespace hai::store {

// List-valued card fields (capabilities, use cases, …) are JSON arrays of
// strings: they are read and written whole with the card and never queried
// inside SQL. Visibility and files are rows, so that deleting an
// organisation or a model removes them with it.
const std::string_view kSchemaModelsV4 = R"sql(
CREATE TABLE models (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('text-generation', 'image-generation',
    'speech-generation', 'video-generation', 'embedding', 'rerank')),
  capabilities TEXT NOT NULL DEFAULT '[]',
  series TEXT NOT NULL DEFAULT '',
  vendor TEXT NOT NULL DEFAULT '',
  params_b REAL,
  context_length INTEGER,
  licence TEXT NOT NULL DEFAULT '',
  introduction TEXT NOT NULL DEFAULT '',
  use_cases TEXT NOT NULL DEFAULT '[]',
  highlights TEXT NOT NULL DEFAULT '[]',
  compatible_engines TEXT NOT NULL DEFAULT '[]',
  evaluation_results TEXT NOT NULL DEFAULT '[]',
  source TEXT NOT NULL CHECK (source IN ('catalog', 'import', 'demo')),
  catalog_digest TEXT NOT NULL DEFAULT '',
  card_edited INTEGER NOT NULL DEFAULT 0,
  visible_to_all INTEGER NOT NULL DEFAULT 1,
  available INTEGER NOT NULL DEFAULT 0,
  artifact_dir TEXT,
  artifact_format TEXT,
  artifact_model_type TEXT,
  artifact_architecture TEXT,
  artifact_bytes INTEGER NOT NULL DEFAULT 0,
  versions TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK (available = 0 OR artifact_dir IS NOT NULL)
);
CREATE TABLE model_visibility (
  model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
  PRIMARY KEY (model_id, org_id)
);
CREATE INDEX model_visibility_org ON model_visibility(org_id);
CREATE TABLE model_files (
  model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
  path TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  PRIMARY KEY (model_id, path)
);
)sql";

}  // namespace hai::store
