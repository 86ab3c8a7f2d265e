package main

// Reflection does not know parameter names; the Go source does.

import (
	"bufio"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

// module finds the Go module around dir: its root directory and path.
func module(dir string) (root, path string, err error) {
	dir, err = filepath.Abs(dir)
	if err != nil {
		return "", "", err
	}
	for {
		f, err := os.Open(filepath.Join(dir, "go.mod"))
		if err == nil {
			defer f.Close()
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if p, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
					return dir, strings.Trim(strings.TrimSpace(p), `"`), nil
				}
			}
			return "", "", fmt.Errorf("%s/go.mod names no module", dir)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// paramNames reads the parameter names of every method declared in the
// package at pkgPath, its tests included: "Type.Method" → names. Unnamed
// parameters are argN.
func paramNames(root, modPath, pkgPath string) (map[string][]string, error) {
	rel, ok := strings.CutPrefix(pkgPath, modPath)
	if !ok {
		return nil, fmt.Errorf("package %s is outside module %s", pkgPath, modPath)
	}
	dir := filepath.Join(root, filepath.FromSlash(strings.TrimPrefix(rel, "/")))
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	fset := token.NewFileSet()
	for _, file := range files {
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || len(fn.Recv.List) != 1 {
				continue
			}
			recv := fn.Recv.List[0].Type
			if star, ok := recv.(*ast.StarExpr); ok {
				recv = star.X
			}
			id, ok := recv.(*ast.Ident)
			if !ok {
				continue
			}
			var names []string
			for _, p := range fn.Type.Params.List {
				if len(p.Names) == 0 {
					names = append(names, fmt.Sprintf("arg%d", len(names)))
				}
				for _, n := range p.Names {
					name := n.Name
					if name == "_" {
						name = fmt.Sprintf("arg%d", len(names))
					}
					names = append(names, name)
				}
			}
			out[id.Name+"."+fn.Name.Name] = names
		}
	}
	return out, nil
}
