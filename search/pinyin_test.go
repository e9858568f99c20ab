package search

import (
	"slices"
	"strings"
	"testing"
)

func pinyinTerms(text string) []string {
	var out []string
	NewAnalyzer().Pinyin(text, func(t []byte) { out = append(out, string(t)) })
	return out
}

func TestPinyin(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantNot []string
	}{
		{"乾隆", []string{"qianlong", "ql"}, []string{"gan", "ganlong", "qian"}},
		{"乾", []string{"qian", "gan"}, nil},
		{"長安", []string{"changan", "ca"}, []string{"zhang", "zhangan"}},
		{"敦煌莫高窟", []string{"dunhuang", "mogao", "gaoku", "dhmgk"}, nil},
		{"书法", []string{"shufa", "sf"}, nil},
		{"Blue 青花", []string{"qinghua", "qh"}, []string{"blue"}},
	}
	for _, tt := range tests {
		got := pinyinTerms(tt.in)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("Pinyin(%q) = %v, want %q among them", tt.in, got, w)
			}
		}
		for _, w := range tt.wantNot {
			if slices.Contains(got, w) {
				t.Errorf("Pinyin(%q) = %v, want no %q", tt.in, got, w)
			}
		}
	}
}

func TestSplitPinyin(t *testing.T) {
	tests := []struct{ in, want string }{
		{"dunhuangmogaoku", "dun huang mo gao ku"},
		{"qianlong", "qian long"},
		{"xian", "xian"},
		{"blue", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(splitPinyin(tt.in), " "); got != tt.want {
			t.Errorf("splitPinyin(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
