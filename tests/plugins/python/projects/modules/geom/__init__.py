from geom.shapes import Circle

UNIT = 1.0
