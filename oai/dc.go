package oai

import (
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"strings"

	"wenyuan"
)

// DublinCore is the oai_dc format every OAI-PMH repository offers:
// simple Dublin Core, each text with its language.
func DublinCore(base string) Format {
	return Format{
		Prefix:    "oai_dc",
		Schema:    "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
		Namespace: "http://www.openarchives.org/OAI/2.0/oai_dc/",
		Write: func(w io.Writer, o *wenyuan.Object, names Names) error {
			return writeDC(w, o, names, base)
		},
	}
}

func writeDC(w io.Writer, o *wenyuan.Object, names Names, base string) error {
	// The provider hands its own buffer: write into it.
	b, direct := w.(*bytes.Buffer)
	if !direct {
		b = new(bytes.Buffer)
	}
	b.WriteString(`<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">`)
	el := func(name, lang, value string) {
		value = strings.TrimSpace(value)
		if value == "" {
			return
		}
		b.WriteString("<dc:" + name)
		if lang != "" {
			b.WriteString(` xml:lang="`)
			xml.EscapeText(b, []byte(lang))
			b.WriteString(`"`)
		}
		b.WriteString(">")
		xml.EscapeText(b, []byte(value))
		b.WriteString("</dc:" + name + ">")
	}
	// every name of a linked record, each in its language.
	linked := func(name string, kind wenyuan.Kind, id string) {
		var ns wenyuan.Names
		if names != nil {
			ns = names(kind, id)
		}
		if len(ns) == 0 {
			el(name, "", id)
			return
		}
		seen := map[string]bool{}
		for _, n := range ns {
			if (n.Type == "" || n.Type == "preferred") && !seen[n.Lang] {
				seen[n.Lang] = true
				el(name, n.Lang, n.Value)
			}
		}
	}
	for _, t := range o.Titles {
		el("title", t.Lang, t.Value)
	}
	for _, m := range o.Makers {
		switch {
		case m.Agent != "":
			linked("creator", wenyuan.KindAgent, m.Agent)
		default:
			el("creator", "", m.Name)
		}
	}
	for _, id := range o.Classification {
		linked("subject", wenyuan.KindConcept, id)
	}
	for _, t := range o.Description {
		el("description", t.Lang, t.Value)
	}
	for _, in := range o.Inscriptions {
		el("description", in.Lang, in.Text)
		el("description", "", in.Translation)
	}
	linked("publisher", wenyuan.KindInstitution, o.Institution)
	if d := o.Date; d != nil {
		el("date", "", d.Display)
		if d.Earliest != nil && d.Latest != nil {
			years := yearW3C(*d.Earliest)
			if *d.Latest != *d.Earliest {
				years += "/" + yearW3C(*d.Latest)
			}
			el("date", "", years)
		}
		for _, id := range d.Periods {
			linked("coverage", wenyuan.KindPeriod, id)
		}
	}
	el("type", "en", "PhysicalObject")
	el("type", "", o.ObjectName)
	el("format", "", o.Medium)
	for _, id := range append(append([]string(nil), o.Materials...), o.Techniques...) {
		linked("format", wenyuan.KindConcept, id)
	}
	for _, d := range o.Dimensions {
		if d.Display != "" {
			el("format", "", d.Display)
		} else if d.Value != nil {
			el("format", "", strings.TrimSpace(d.Type+" "+strconv.FormatFloat(*d.Value, 'f', -1, 64)+" "+d.Unit))
		}
	}
	el("identifier", "", base+"/objects/"+o.ID)
	el("identifier", "", o.AccessionNumber)
	for _, id := range o.Places {
		linked("coverage", wenyuan.KindPlace, id)
	}
	if o.PartOf != "" {
		el("relation", "", base+"/objects/"+o.PartOf)
	}
	for _, r := range o.Related {
		el("relation", "", base+"/objects/"+r.Object)
	}
	for _, t := range o.Provenance {
		el("source", t.Lang, t.Value)
	}
	el("rights", "", o.Rights)
	el("rights", "", o.CreditLine)
	b.WriteString("</oai_dc:dc>")
	if direct {
		return nil
	}
	_, err := w.Write(b.Bytes())
	return err
}

// yearW3C writes a year as ISO 8601 does: 4 digits, BCE astronomically
// (1 BCE is 0000, 206 BCE is -0205).
func yearW3C(y int) string {
	if y < 0 {
		y++ // no year 0 in history; there is in ISO 8601
	}
	if y < 0 {
		return "-" + pad4(-y)
	}
	return pad4(y)
}

func pad4(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}
