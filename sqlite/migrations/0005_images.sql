-- Images are records of kind 'image' whose parent is their object and
-- whose institution is their object's. This finds an institution's
-- imaged objects (its IIIF collection) without reading every record.
CREATE INDEX records_images ON records (institution, parent) WHERE kind = 'image' AND deleted = 0;
