"""Code similarity between submissions (MOSS's winnowing, through copydetect): pure, no Django."""
