%% global — unik's replacement: one node, so global names are local names.
-module(global).
-export([register_name/2, register_name/3, unregister_name/1, whereis_name/1, send/2,
         registered_names/0]).

register_name(Name, Pid) -> register_name(Name, Pid, undefined).
register_name(Name, Pid, _Resolve) ->
    try erlang:register(global_name(Name), Pid) of true -> yes catch _:_ -> no end.
unregister_name(Name) -> catch erlang:unregister(global_name(Name)), ok.
whereis_name(Name) ->
    case erlang:whereis(global_name(Name)) of
        undefined -> undefined;
        Pid -> Pid
    end.
send(Name, Msg) ->
    case whereis_name(Name) of
        undefined -> exit({badarg, {Name, Msg}});
        Pid -> Pid ! Msg, Pid
    end.
registered_names() -> [].

global_name(Name) when is_atom(Name) -> Name;
global_name(Name) -> list_to_atom(lists:flatten(io_lib:format("global:~w", [Name]))).
