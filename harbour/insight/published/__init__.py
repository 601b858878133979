"""The Department for Education's published figures: shipped data, the mapping onto Harbour's
indicators (measures.yaml), the builder, and loading them into the database."""
