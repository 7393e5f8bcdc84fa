"""Course data sets: the procedural cat / non-cat images and tools to build such files."""
