package web

import "wenyuan"

// Route is one registered route. The table is what the server serves and
// what the OpenAPI test checks against the published document.
type Route struct {
	Method  string
	Pattern string
	Handler handlerFunc
}

// resource is a record kind as the API names it.
type resource struct {
	Kind   wenyuan.Kind
	Plural string
}

var resources = []resource{
	{wenyuan.KindObject, "objects"},
	{wenyuan.KindAgent, "agents"},
	{wenyuan.KindPlace, "places"},
	{wenyuan.KindPeriod, "periods"},
	{wenyuan.KindConcept, "concepts"},
	{wenyuan.KindInstitution, "institutions"},
	{wenyuan.KindImage, "images"},
}

// Routes returns every route the server registers, as "METHOD pattern".
func (s *Server) Routes() []string {
	var out []string
	for _, r := range s.routes() {
		out = append(out, r.Method+" "+r.Pattern)
	}
	return out
}

func (s *Server) routes() []Route {
	rs := []Route{
		{"GET", "/healthz", s.handleHealth},
		{"GET", "/{$}", s.handleHome},
		{"GET", "/search", s.handleSearchPage},
		{"GET", "/static/{file}", s.handleStatic},
		{"GET", "/static/vendor/{file...}", s.handleVendor},
		{"GET", "/objects/{id}", s.handleObjectPage},
		{"GET", "/objects/by-accession/{institution}/{accession...}", s.handleObjectByAccession},
		{"GET", "/institutions", s.handleInstitutionsPage},
		{"GET", "/institutions/{id}", s.handleInstitutionPage},
		{"GET", "/agents/{id}", s.handleAuthorityPage(wenyuan.KindAgent)},
		{"GET", "/places/{id}", s.handleAuthorityPage(wenyuan.KindPlace)},
		{"GET", "/periods/{id}", s.handleAuthorityPage(wenyuan.KindPeriod)},
		{"GET", "/concepts/{id}", s.handleAuthorityPage(wenyuan.KindConcept)},
		{"GET", "/lang/{lang}", s.handleLang},
		{"GET", "/signin", s.handleSignInPage},
		{"POST", "/signin", s.handleSignInForm},
		{"POST", "/signout", s.handleSignOutForm},
		{"GET", "/console", s.handleConsole},
		{"GET", "/console/objects/new", s.handleObjectNew},
		{"POST", "/console/objects/new", s.handleObjectSave},
		{"GET", "/console/objects/{id}/edit", s.handleObjectEdit},
		{"POST", "/console/objects/{id}/edit", s.handleObjectSave},
		{"POST", "/console/objects/{id}/images", s.handleUploadForm},
		{"GET", "/console/{kind}/{id}/history", s.handleHistoryPage},
		{"POST", "/console/{kind}/{id}/revert", s.handleRevertForm},
		{"GET", "/console/audit", s.handleAuditPage},
		{"GET", "/console/import", s.handleImportForm},
		{"POST", "/console/import", s.handleImportStart},
		{"GET", "/console/imports/{id}", s.handleImportPage},
		{"GET", "/console/imports/{id}/rejects", s.handleImportRejects},
		{"GET", "/api/v1/openapi.json", s.handleOpenAPI},
		{"GET", "/api/v1/audit", s.handleAudit},
		{"GET", "/api/v1/search", s.handleSearch},
		{"GET", "/api/v1/suggest", s.handleSuggest},
		{"GET", "/oai", s.handleOAI},
		{"POST", "/oai", s.handleOAI},
		{"GET", "/iiif/3/{id}", s.handleImageBase},
		{"GET", "/iiif/3/{id}/info.json", s.handleImageInfo},
		{"GET", "/iiif/3/{id}/{region}/{size}/{rotation}/{file}", s.handleImage},
		{"GET", "/iiif/manifests/{id}", s.handleManifest},
		{"GET", "/iiif/collections/{institution}", s.handleCollection},
		{"GET", "/api/v1/objects/{id}/images", s.handleObjectImages},
		{"POST", "/api/v1/objects/{id}/images", s.handleUpload},
		{"POST", "/api/v1/session", s.handleSignIn},
		{"GET", "/api/v1/session", s.handleSession},
		{"DELETE", "/api/v1/session", s.handleSignOut},
		{"GET", "/api/v1/tokens", s.handleListTokens},
		{"POST", "/api/v1/tokens", s.handleCreateToken},
		{"DELETE", "/api/v1/tokens/{id}", s.handleRevokeToken},
		{"GET", "/api/v1/users", s.handleListUsers},
		{"POST", "/api/v1/users", s.handleCreateUser},
		{"PUT", "/api/v1/users/{id}", s.handleUpdateUser},
	}
	for _, plural := range []string{"agents", "places", "periods", "concepts"} {
		base := "/console/" + plural
		rs = append(rs,
			Route{"GET", base + "/new", s.handleAuthorityNew(plural)},
			Route{"POST", base + "/new", s.handleAuthoritySave(plural)},
			Route{"GET", base + "/{id}/edit", s.handleAuthorityEdit(plural)},
			Route{"POST", base + "/{id}/edit", s.handleAuthoritySave(plural)})
	}
	for _, res := range resources {
		base := "/api/v1/" + res.Plural
		if res.Kind != wenyuan.KindImage {
			// Images are listed and uploaded under their object.
			rs = append(rs,
				Route{"GET", base, s.handleList(res.Kind)},
				Route{"POST", base, s.handleCreate(res)})
		}
		rs = append(rs,
			Route{"GET", base + "/{id}", s.handleShow(res.Kind)},
			Route{"PUT", base + "/{id}", s.handleUpdate(res.Kind)},
			Route{"DELETE", base + "/{id}", s.handleDelete(res.Kind)},
			Route{"GET", base + "/{id}/versions", s.handleVersions(res.Kind)},
			Route{"GET", base + "/{id}/versions/{version}", s.handleVersion(res.Kind)},
			Route{"GET", base + "/{id}/diff", s.handleDiff(res.Kind)},
			Route{"POST", base + "/{id}/revert", s.handleRevert(res.Kind)},
		)
	}
	return rs
}
