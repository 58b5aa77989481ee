"""README's and docs' commands run as written."""
