package wenyuan

import "strings"

// IsWellFormedLangTag reports whether tag is a well-formed BCP 47 language
// tag (RFC 5646 section 2.1 syntax; registry membership is not checked):
// language[-extlang][-script][-region](-variant)*(-extension)*[-privateuse],
// or a private-use tag "x-...". Grandfathered irregular tags are refused.
func IsWellFormedLangTag(tag string) bool {
	if tag == "" || len(tag) > 64 {
		return false
	}
	parts := strings.Split(tag, "-")
	for _, p := range parts {
		if p == "" || len(p) > 8 || !isAlnum(p) {
			return false
		}
	}
	i := 0
	if strings.EqualFold(parts[0], "x") {
		return privateUse(parts)
	}
	// language: 2-3 alpha (+ up to 3 extlang of 3 alpha), or 4, or 5-8 alpha
	lang := parts[0]
	if !isAlpha(lang) || len(lang) < 2 {
		return false
	}
	i++
	if len(lang) <= 3 {
		for n := 0; n < 3 && i < len(parts) && len(parts[i]) == 3 && isAlpha(parts[i]); n++ {
			i++
		}
	}
	if i < len(parts) && len(parts[i]) == 4 && isAlpha(parts[i]) { // script
		i++
	}
	if i < len(parts) && ((len(parts[i]) == 2 && isAlpha(parts[i])) || (len(parts[i]) == 3 && isDigit(parts[i]))) { // region
		i++
	}
	for i < len(parts) && isVariant(parts[i]) {
		i++
	}
	seen := map[string]bool{}
	for i < len(parts) && len(parts[i]) == 1 && !strings.EqualFold(parts[i], "x") { // extensions
		s := strings.ToLower(parts[i])
		if seen[s] {
			return false
		}
		seen[s] = true
		i++
		n := 0
		for i < len(parts) && len(parts[i]) >= 2 {
			i++
			n++
		}
		if n == 0 {
			return false
		}
	}
	if i < len(parts) && strings.EqualFold(parts[i], "x") {
		return privateUse(parts[i:])
	}
	return i == len(parts)
}

func privateUse(parts []string) bool {
	return len(parts) >= 2
}

func isVariant(s string) bool {
	return (len(s) >= 5 && len(s) <= 8) || (len(s) == 4 && s[0] >= '0' && s[0] <= '9')
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if !(c >= 'a' && c <= 'z') && !(s[i] >= '0' && s[i] <= '9') {
			return false
		}
	}
	return true
}

func isAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if !(c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}

func isDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
