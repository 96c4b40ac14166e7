package plan

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
)

// Command is the subcommand's name: `pulumi-resource-concurrent plan -f setup.yaml`.
const Command = "plan"

// UsageError is a bad command line.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Main runs `plan` with the arguments after the subcommand, writing the plan to stdout and
// usage to stderr. The caller turns its error into an exit status with ExitCode.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet(Command, flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("f", "", "the setup file: ConcurrentEksSetup inputs plus a `cluster:` section (required)")
	output := fs.String("output", "text", "text or json")
	name := fs.String("name", ComponentName, "the component's logical name (child names derive from it)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: pulumi-resource-concurrent plan -f setup.yaml [--output text|json] [--name NAME]\n\n"+
			"Prints what ConcurrentEksSetup would create and grant, computed offline by the component's own\n"+
			"code under mocks: no credentials, no cluster.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &UsageError{Msg: err.Error()}
	}
	switch {
	case fs.NArg() > 0:
		return &UsageError{Msg: fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	case *file == "":
		return &UsageError{Msg: "-f setup.yaml is required"}
	case *output != "text" && *output != "json":
		return &UsageError{Msg: fmt.Sprintf("--output: %q is not text or json", *output)}
	}

	s, err := LoadFile(ctx, *file)
	if err != nil {
		return err
	}
	pl, err := Run(ctx, s, *name)
	if err != nil {
		return err
	}
	if *output == "json" {
		return pl.JSON(stdout)
	}
	return pl.Text(stdout)
}

// ExitCode is the process status for Main's error: 0 for none, 2 for a bad command line,
// 1 for everything else (an unreadable or invalid setup, a component error).
func ExitCode(err error) int {
	var usage *UsageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &usage):
		return 2
	}
	return 1
}
