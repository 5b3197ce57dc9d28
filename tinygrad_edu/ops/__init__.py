"""Every primitive op: forward, backward and formula side by side, grouped by kind."""
