"""What a build writes: the exports (GeoJSON, CSV, GeoPackage) and the map page."""
