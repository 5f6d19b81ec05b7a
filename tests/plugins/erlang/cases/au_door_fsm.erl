-module(au_door_fsm).
-behaviour(gen_statem).
-export([start/0]).
-export([init/1, callback_mode/0, locked/3, open/3, terminate/3]).

start() ->
    {ok, _} = gen_statem:start_link({local, door}, ?MODULE, [1, 2, 3], []),
    io:format("~p~n", [gen_statem:call(door, state)]),
    [gen_statem:cast(door, {button, D}) || D <- [1, 2]],
    io:format("~p~n", [gen_statem:call(door, state)]),
    gen_statem:cast(door, {button, 3}),
    io:format("~p~n", [gen_statem:call(door, state)]),
    timer:sleep(60),
    io:format("~p~n", [gen_statem:call(door, state)]),
    gen_statem:cast(door, {button, 9}),
    io:format("~p~n", [gen_statem:call(door, state)]),
    gen_statem:stop(door),
    io:format("stopped~n"),
    %% a hand-written FSM over a token list
    io:format("~p~n", [run_fsm("  12 + 34 * foo ", start, [])]),
    ok.

callback_mode() -> state_functions.

init(Code) -> {ok, locked, #{code => Code, input => []}}.

locked(cast, {button, D}, Data = #{code := Code, input := In}) ->
    In2 = In ++ [D],
    case In2 of
        Code -> {next_state, open, Data#{input := []}, [{state_timeout, 30, lock}]};
        _ when length(In2) >= length(Code) -> {keep_state, Data#{input := []}};
        _ -> {keep_state, Data#{input := In2}}
    end;
locked({call, From}, state, Data) ->
    {keep_state_and_data, [{reply, From, {locked, maps:get(input, Data)}}]}.

open(state_timeout, lock, Data) -> {next_state, locked, Data};
open(cast, {button, _}, _Data) -> keep_state_and_data;
open({call, From}, state, _Data) -> {keep_state_and_data, [{reply, From, open}]}.

terminate(_R, _S, _D) -> ok.

run_fsm([], State, Acc) -> {State, lists:reverse(Acc)};
run_fsm([C | T], start, Acc) when C >= $0, C =< $9 -> run_fsm(T, {num, C - $0}, Acc);
run_fsm([C | T], start, Acc) when C >= $a, C =< $z -> run_fsm(T, {word, [C]}, Acc);
run_fsm([$\s | T], start, Acc) -> run_fsm(T, start, Acc);
run_fsm([C | T], start, Acc) -> run_fsm(T, start, [{op, C} | Acc]);
run_fsm([C | T], {num, N}, Acc) when C >= $0, C =< $9 -> run_fsm(T, {num, N * 10 + C - $0}, Acc);
run_fsm(L, {num, N}, Acc) -> run_fsm(L, start, [{int, N} | Acc]);
run_fsm([C | T], {word, W}, Acc) when C >= $a, C =< $z -> run_fsm(T, {word, [C | W]}, Acc);
run_fsm(L, {word, W}, Acc) -> run_fsm(L, start, [{id, list_to_atom(lists:reverse(W))} | Acc]).
