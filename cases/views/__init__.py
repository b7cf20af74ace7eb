"""The provincial office's pages, one module per area: cases, persons, records (what goes into a
case's file), screening, lists, and operations with their mass intake. Thin: each view parses a
form, calls one selector or service, and renders. cases/urls.py names them."""
