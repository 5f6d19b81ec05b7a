-module(light).
%% A gen_statem used by supervised.erl (its start/0 is not needed).
-behaviour(gen_statem).
-export([init/1, callback_mode/0, off/3, on/3]).
init([]) -> {ok, off, 0}.
callback_mode() -> state_functions.
off({call, From}, push, N) -> {next_state, on, N + 1, [{reply, From, on}]}.
on({call, From}, push, N) -> {next_state, off, N + 1, [{reply, From, off}]}.
