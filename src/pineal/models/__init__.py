"""Physiology: pure right-hand sides, one file per submodel (DESIGN.md, "Layers")."""
