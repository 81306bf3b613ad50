"""WTForms classes, one module per area; forms only describe input."""
