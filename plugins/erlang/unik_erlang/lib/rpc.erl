%% rpc — unik's replacement: one node; calls to it run here.
-module(rpc).
-export([call/4, call/5, cast/4, multicall/3, multicall/4]).

call(Node, M, F, A) -> call(Node, M, F, A, infinity).
call(Node, M, F, A, _Timeout) when Node =:= node() ->
    try apply(M, F, A) catch Class:Reason -> {badrpc, {'EXIT', {Class, Reason}}} end;
call(_Node, _M, _F, _A, _Timeout) -> {badrpc, nodedown}.
cast(Node, M, F, A) -> _ = spawn(fun() -> call(Node, M, F, A) end), true.
multicall(M, F, A) -> {[call(node(), M, F, A)], []}.
multicall(Nodes, M, F, A) -> {[call(N, M, F, A) || N <- Nodes], []}.
