"""Routes of administration of a melatonin dose (DESIGN.md conventions); a light module the CLI's help can import."""

ROUTES = ("oral-ir", "oral-pr", "sublingual", "intranasal", "transdermal", "iv")
ROUTE_ALLOWED = ", ".join(ROUTES)
