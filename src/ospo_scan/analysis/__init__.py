"""Pure functions that answer questions about an Inventory."""
