// Package iiif serves Wenyuan's images by the International Image
// Interoperability Framework: the Image API 3.0 at level 2 and the
// Presentation API 3.0.
//
// A master file is kept untouched, named by its SHA-256, and converted
// once by libvips (package vips) into a tiled pyramidal TIFF with JPEG
// tiles. A request for exactly one stored tile is answered with the
// compressed bytes as stored; everything else is computed from the
// nearest level of the pyramid. Results are kept in a byte-bounded cache
// in memory, and optionally in one on disk, keyed by the master and the
// canonical form of the request.
//
// Where things are:
//
//	params.go     image request parameters: parsing, resolving against an image, canonical form
//	tiff.go       reading stored tiles out of a pyramidal TIFF without decoding them
//	files.go      the masters and pyramids on disk; ingest
//	add.go        ingest and record an image of an object
//	service.go    answering image requests and info.json
//	cache.go      the result cache in memory
//	diskcache.go  the result cache on disk, behind it
//	manifest.go   Presentation API manifests and collections
package iiif
