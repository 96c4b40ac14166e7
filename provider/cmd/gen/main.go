// Command gen produces everything generated in this repository, offline and in-process:
//
//	gen schema [-o schema.yaml]             the provider's own GetSchema, as YAML
//	gen sdks [-schema schema.yaml] [-o sdk] the Go, Node.js and Python SDKs from that schema
//	gen check [-schema schema.yaml] [-sdk sdk]
//	                                        regenerate both into a temporary folder and fail on
//	                                        any difference with the files in the tree
//
// The version stamped everywhere is provider.Version; the SDKs read it from the schema.
package main

import (
	"flag"
	"fmt"
	"os"
)

// tool names the generator in the generated files' headers.
const tool = "concurrent-gen"

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "schema":
		fs := flag.NewFlagSet(cmd, flag.ExitOnError)
		out := fs.String("o", "schema.yaml", "where to write the schema")
		_ = fs.Parse(args)
		err = writeSchema(*out)
	case "sdks":
		fs := flag.NewFlagSet(cmd, flag.ExitOnError)
		in := fs.String("schema", "schema.yaml", "the schema to generate from")
		out := fs.String("o", "sdk", "the folder holding go/, nodejs/ and python/")
		_ = fs.Parse(args)
		err = writeSDKs(*in, *out)
	case "check":
		fs := flag.NewFlagSet(cmd, flag.ExitOnError)
		in := fs.String("schema", "schema.yaml", "the committed schema")
		sdk := fs.String("sdk", "sdk", "the committed SDK folder")
		_ = fs.Parse(args)
		err = check(*in, *sdk)
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "gen %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: gen schema [-o schema.yaml] | sdks [-schema schema.yaml] [-o sdk] | check [-schema schema.yaml] [-sdk sdk]")
	os.Exit(2)
}
