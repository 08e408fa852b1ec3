"""Physiology: pure right-hand-side functions, one per submodel (DESIGN.md, "Layers")."""
