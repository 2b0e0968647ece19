"""Full screens and dialogs pushed over the panes."""
