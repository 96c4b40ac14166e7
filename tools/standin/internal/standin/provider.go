package standin

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"time"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/concurrent-ai/pulumi-concurrent/tools/standin/calllog"
)

// Type is how a stand-in plays one resource type of the real provider.
type Type struct {
	// AutoName is the input the real provider fills in when the program leaves it out: the
	// logical name, "-" and 7 random hex characters (at most MaxLen), kept across updates.
	AutoName string
	MaxLen   int
	// ForceNew are the top-level inputs whose change makes the real provider replace the
	// resource; a change of any other input is an update in place.
	ForceNew []string
	// Outputs returns the id and the computed outputs (ids, ARNs, ...) the real provider
	// adds to the inputs.
	Outputs func(urn resource.URN, inputs property.Map) (id string, computed map[string]property.Value)
}

// Plugin is one stand-in plugin.
type Plugin struct {
	Name, Version string
	Types         map[string]Type
	// Invoke answers the functions the plugin serves (nil: none).
	Invoke func(token string, args property.Map) (property.Map, error)
	// Delay is how long a Create, Update or Delete of the type takes (nil: no delay).
	Delay func(token string) time.Duration
}

// Serve runs the plugin for the engine.
func (pl Plugin) Serve() {
	if err := p.RunProvider(context.Background(), pl.Name, pl.Version, pl.Provider()); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-%s (stand-in): %v\n", pl.Name, err)
		os.Exit(1)
	}
}

func (pl Plugin) typeOf(urn resource.URN) (Type, error) {
	t, ok := pl.Types[string(urn.Type())]
	if !ok {
		return Type{}, fmt.Errorf("the %s stand-in does not play %s (%s): add the type to tools/standin/%s",
			pl.Name, urn.Type(), urn.Name(), pl.Name)
	}
	return t, nil
}

// call runs one method and appends it to the log.
func (pl Plugin) call(c calllog.Call, f func(*calllog.Call) error) error {
	c.Plugin, c.Time = pl.Name, time.Now()
	err := f(&c)
	c.Ms = float64(time.Since(c.Time).Microseconds()) / 1000
	if err != nil {
		c.Error = err.Error()
	}
	calllog.Append(c)
	return err
}

func (pl Plugin) wait(urn resource.URN) {
	if pl.Delay != nil {
		time.Sleep(pl.Delay(string(urn.Type())))
	}
}

// Provider is the raw provider: every method keyed by the URN's type token.
func (pl Plugin) Provider() p.Provider {
	return p.Provider{
		CheckConfig: func(_ context.Context, req p.CheckRequest) (p.CheckResponse, error) {
			return p.CheckResponse{Inputs: req.Inputs}, nil
		},
		DiffConfig: func(context.Context, p.DiffRequest) (p.DiffResponse, error) {
			return p.DiffResponse{}, nil
		},
		Configure: func(context.Context, p.ConfigureRequest) error { return nil },
		Invoke: func(_ context.Context, req p.InvokeRequest) (resp p.InvokeResponse, err error) {
			err = pl.call(calllog.Call{Method: "Invoke", Type: string(req.Token)}, func(*calllog.Call) error {
				if pl.Invoke == nil {
					return fmt.Errorf("the %s stand-in serves no function %s", pl.Name, req.Token)
				}
				resp.Return, err = pl.Invoke(string(req.Token), req.Args)
				return err
			})
			return resp, err
		},
		Check: func(_ context.Context, req p.CheckRequest) (resp p.CheckResponse, err error) {
			err = pl.call(calllog.Call{Method: "Check", Type: string(req.Urn.Type()), URN: string(req.Urn)}, func(*calllog.Call) error {
				t, err := pl.typeOf(req.Urn)
				if err != nil {
					return err
				}
				resp.Inputs, err = t.autoName(req)
				return err
			})
			return resp, err
		},
		Diff: func(_ context.Context, req p.DiffRequest) (resp p.DiffResponse, err error) {
			err = pl.call(calllog.Call{Method: "Diff", Type: string(req.Urn.Type()), URN: string(req.Urn), ID: req.ID}, func(c *calllog.Call) error {
				t, err := pl.typeOf(req.Urn)
				if err != nil {
					return err
				}
				resp = t.diff(req.OldInputs, req.Inputs)
				for k, d := range resp.DetailedDiff {
					c.Changed = append(c.Changed, k)
					if d.Kind == p.UpdateReplace || d.Kind == p.AddReplace || d.Kind == p.DeleteReplace {
						c.Replace = append(c.Replace, k)
					}
				}
				sort.Strings(c.Changed)
				sort.Strings(c.Replace)
				return nil
			})
			return resp, err
		},
		Create: func(_ context.Context, req p.CreateRequest) (resp p.CreateResponse, err error) {
			err = pl.call(calllog.Call{Method: "Create", Type: string(req.Urn.Type()), URN: string(req.Urn), DryRun: req.DryRun}, func(c *calllog.Call) error {
				t, err := pl.typeOf(req.Urn)
				if err != nil {
					return err
				}
				if !req.DryRun {
					pl.wait(req.Urn)
				}
				resp.ID, resp.Properties = t.create(req.Urn, req.Properties, req.DryRun)
				c.ID = resp.ID
				return nil
			})
			return resp, err
		},
		Read: func(_ context.Context, req p.ReadRequest) (resp p.ReadResponse, err error) {
			err = pl.call(calllog.Call{Method: "Read", Type: string(req.Urn.Type()), URN: string(req.Urn), ID: req.ID}, func(*calllog.Call) error {
				// What was created is still there, unchanged: no drift.
				resp = p.ReadResponse{ID: req.ID, Properties: req.Properties, Inputs: req.Inputs}
				_, err := pl.typeOf(req.Urn)
				return err
			})
			return resp, err
		},
		Update: func(_ context.Context, req p.UpdateRequest) (resp p.UpdateResponse, err error) {
			err = pl.call(calllog.Call{Method: "Update", Type: string(req.Urn.Type()), URN: string(req.Urn), ID: req.ID, DryRun: req.DryRun}, func(*calllog.Call) error {
				if _, err := pl.typeOf(req.Urn); err != nil {
					return err
				}
				if !req.DryRun {
					pl.wait(req.Urn)
				}
				// The new inputs, and the computed outputs (ids, ARNs) as they were.
				out := req.State.AsMap()
				for k := range req.OldInputs.AsMap() {
					delete(out, k)
				}
				for k, v := range req.Inputs.AsMap() {
					out[k] = v
				}
				resp.Properties = property.NewMap(out)
				return nil
			})
			return resp, err
		},
		Delete: func(_ context.Context, req p.DeleteRequest) error {
			return pl.call(calllog.Call{Method: "Delete", Type: string(req.Urn.Type()), URN: string(req.Urn), ID: req.ID}, func(*calllog.Call) error {
				if _, err := pl.typeOf(req.Urn); err != nil {
					return err
				}
				pl.wait(req.Urn)
				return nil
			})
		},
	}
}

// autoName fills in the auto-named input as the real provider does: kept from the old inputs
// (the engine passes none when it replaces the resource, so a replacement gets a new name).
func (t Type) autoName(req p.CheckRequest) (property.Map, error) {
	if t.AutoName == "" {
		return req.Inputs, nil
	}
	if v, ok := req.Inputs.GetOk(t.AutoName); ok && !v.IsNull() {
		return req.Inputs, nil
	}
	if v, ok := req.State.GetOk(t.AutoName); ok && v.IsString() {
		return req.Inputs.Set(t.AutoName, v), nil
	}
	name, err := resource.NewUniqueName(req.RandomSeed, req.Urn.Name()+"-", 7, t.MaxLen, nil)
	if err != nil {
		return property.Map{}, fmt.Errorf("%s: %w", t.AutoName, err)
	}
	return req.Inputs.Set(t.AutoName, property.New(name)), nil
}

// diff compares the inputs key by key, secrets and dependencies aside.
func (t Type) diff(olds, news property.Map) p.DiffResponse {
	detailed := map[string]p.PropertyDiff{}
	keys := map[string]bool{}
	for k := range olds.AsMap() {
		keys[k] = true
	}
	for k := range news.AsMap() {
		keys[k] = true
	}
	for k := range keys {
		o, inOld := olds.GetOk(k)
		n, inNew := news.GetOk(k)
		inOld, inNew = inOld && !o.IsNull(), inNew && !n.IsNull()
		if inOld && inNew && plain(o).Equals(plain(n)) && !n.HasComputed() || !inOld && !inNew {
			continue
		}
		forceNew := slices.Contains(t.ForceNew, k)
		kind := p.Update
		switch {
		case !inOld && forceNew:
			kind = p.AddReplace
		case !inOld:
			kind = p.Add
		case !inNew && forceNew:
			kind = p.DeleteReplace
		case !inNew:
			kind = p.Delete
		case forceNew:
			kind = p.UpdateReplace
		}
		detailed[k] = p.PropertyDiff{Kind: kind, InputDiff: true}
	}
	return p.DiffResponse{HasChanges: len(detailed) > 0, DetailedDiff: detailed}
}

// create is the new state: the inputs plus the computed outputs, unknown in a preview.
func (t Type) create(urn resource.URN, inputs property.Map, preview bool) (string, property.Map) {
	out := inputs.AsMap()
	if t.Outputs == nil {
		return urn.Name() + "-id", inputs
	}
	id, computed := t.Outputs(urn, inputs)
	for k, v := range computed {
		if _, given := out[k]; given {
			continue
		}
		if preview {
			v = property.New(property.Computed)
		}
		out[k] = v
	}
	if preview {
		id = ""
	}
	return id, property.NewMap(out)
}

// plain strips secrets and dependencies, which do not make a value different.
func plain(v property.Value) property.Value {
	v = v.WithSecret(false).WithDependencies(nil)
	switch {
	case v.IsArray():
		arr := v.AsArray().AsSlice()
		for i, e := range arr {
			arr[i] = plain(e)
		}
		return property.New(arr)
	case v.IsMap():
		m := v.AsMap().AsMap()
		for k, e := range m {
			m[k] = plain(e)
		}
		return property.New(property.NewMap(m))
	}
	return v
}
