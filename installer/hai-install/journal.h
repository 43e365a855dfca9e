#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "lib/base/status.h"

namespace hai::install {

// Where the old state of everything a run changes is kept until the run
// ends: ROOT/var/lib/hai-install/journal, an index plus one file per saved
// content, each written and synced before the change it describes. A failed
// run puts entries back from it; a run that was killed leaves it behind and
// the next run puts it all back first. Not thread-safe; one run at a time.
class Journal {
 public:
  explicit Journal(std::string root);

  // Saves what is at `path` (a target path) now, for `step`: its content,
  // mode and owner, or that nothing is there.
  Status Record(const std::string& step, const std::string& path);
  // Puts back `step`'s entries, newest first; failures are appended to `errors`.
  void Restore(const std::string& step, std::vector<std::string>* errors);
  // Ends the journal: removes it and the directories made for it.
  void Discard();
  // An earlier run's journal: puts back all of it and discards it. Returns
  // how many entries were put back (0 when there was none).
  Result<int> RecoverLeftover(std::vector<std::string>* errors);

  std::string Dir() const;

 private:
  struct Entry {
    std::string step;
    char kind = '-';  // 'f' file, 'd' directory, '-' nothing was there
    mode_t mode = 0;
    uid_t uid = 0;
    gid_t gid = 0;
    std::string path;
    std::string data;  // the saved content's file, for 'f'
  };
  Status Open();
  Status Put(const Entry& e);
  Status Load();

  std::string root_;
  bool open_ = false;
  std::vector<std::string> made_dirs_;  // for the journal itself
  std::vector<Entry> entries_;
};

}  // namespace hai::install
