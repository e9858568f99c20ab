package search

import (
	"fmt"
	"strings"
	"testing"
)

func tokens(text string) string {
	var out []string
	NewAnalyzer().Analyze(text, 0, func(t *Token) {
		k := map[TokenKind]string{Word: "w", Bigram: "b", Unigram: "u", Joined: "j"}[t.Kind]
		out = append(out, fmt.Sprintf("%s:%s@%d[%s]", k, t.Term, t.Pos, text[t.Start:t.End]))
	})
	return strings.Join(out, " ")
}

func TestAnalyze(t *testing.T) {
	tests := []struct{ in, want string }{
		{"唐代", "u:唐@0[唐] u:代@0[代] b:唐代@0[唐代]"},
		{"書法", "u:书@0[書] u:法@0[法] b:书法@0[書法]"},
		{"Blue-and-White Porcelains", "w:blue@0[Blue] w:and@1[and] w:white@2[White] j:blueandwhite@2[Blue-and-White] w:porcelain@3[Porcelains]"},
		{"Ch\u2019ien-lung", "w:chien@0[Ch’ien] w:lung@1[lung] j:chienlung@1[Ch’ien-lung]"},
		{"Qiánlóng 乾隆", "w:qianlong@0[Qiánlóng] u:干@1[乾] u:隆@1[隆] b:干隆@1[乾隆]"},
		{"ＡＢ１２", "w:ab12@0[ＡＢ１２]"},
		{"瓶", "u:瓶@0[瓶]"},
		{"", ""},
		{"-- '", ""},
	}
	for _, tt := range tests {
		if got := tokens(tt.in); got != tt.want {
			t.Errorf("Analyze(%q)\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}

func BenchmarkAnalyze(b *testing.B) {
	text := "清乾隆青花缠枝莲纹赏瓶，景德镇御窑厂烧造。Blue-and-white porcelain vase with lotus scrolls, Qianlong mark and period (1736–1795)."
	a := NewAnalyzer()
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		a.Analyze(text, 0, func(t *Token) { n++ })
	}
}
