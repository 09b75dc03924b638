"""Point-in-polygon on GeoJSON geometries (Polygon, MultiPolygon) in [lng, lat] order, by ray casting.

Boundaries here are simplified village and sub-district polygons; exactness at the edge is not
needed, so plain planar ray casting is enough and keeps the project free of a GIS stack.
"""


def _in_ring(lng, lat, ring):
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lng < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _in_polygon(lng, lat, rings):
    # The first ring is the outline; the others are holes.
    return bool(rings) and _in_ring(lng, lat, rings[0]) and not any(_in_ring(lng, lat, hole) for hole in rings[1:])


def contains(geometry, lng, lat):
    """Whether the point lies inside a GeoJSON Polygon or MultiPolygon."""
    if not geometry:
        return False
    if geometry.get("type") == "Polygon":
        return _in_polygon(lng, lat, geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return any(_in_polygon(lng, lat, polygon) for polygon in geometry["coordinates"])
    return False
