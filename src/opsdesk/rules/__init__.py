"""Pure business rules over models and a clock."""
