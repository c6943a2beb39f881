"""Plot helpers used by the chapters (figures with labelled axes, white background)."""
