# (filled by its owner)
