// Package bench holds Wenyuan's end-to-end benchmarks: importing 100,000
// synthetic records (BenchmarkImport100k) and reading objects over HTTP with
// 50 concurrent clients (BenchmarkObjectGET). The commands beside it
// generate the records (bench/gen) and load a running server (bench/load).
// README.md says how to run them and what they measured.
package bench
