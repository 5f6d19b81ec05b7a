"""OCaml plugin (placeholder package until the plugin lands)."""
