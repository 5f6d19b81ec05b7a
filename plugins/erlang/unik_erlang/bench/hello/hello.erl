-module(hello).
-export([start/0]).
%% unik compare's hello (core/compare/spec.py).
start() -> io:format("Hello, world!~n").
