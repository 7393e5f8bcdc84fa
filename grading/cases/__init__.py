"""Recipes of the stored test cases, one module per assignment (see grading.expected)."""
