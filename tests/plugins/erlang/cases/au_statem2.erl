-module(au_statem2).
-behaviour(gen_statem).
-export([start/0, init/1, callback_mode/0, handle_event/4, terminate/3]).
%% A vending machine: handle_event_function, state_enter calls, generic timeouts, postpone.

start() ->
    {ok, P} = gen_statem:start(?MODULE, 50, []),
    io:format("~p~n", [gen_statem:call(P, status)]),
    gen_statem:cast(P, {coin, 20}),
    gen_statem:cast(P, {coin, 20}),
    io:format("~p~n", [gen_statem:call(P, status)]),
    io:format("~p~n", [gen_statem:call(P, vend)]),
    gen_statem:cast(P, {coin, 20}),
    io:format("~p~n", [gen_statem:call(P, vend)]),
    io:format("~p~n", [gen_statem:call(P, status)]),
    gen_statem:cast(P, {coin, 5}),
    timer:sleep(80),
    io:format("~p~n", [gen_statem:call(P, status)]),
    io:format("~p~n", [gen_statem:call(P, history)]),
    io:format("~p~n", [catch gen_statem:call(P, unknown_request, 100)]),
    ok = gen_statem:stop(P),
    io:format("~p~n", [is_process_alive(P)]),
    ok.

init(Price) -> {ok, idle, #{price => Price, credit => 0, log => []}}.

callback_mode() -> [handle_event_function, state_enter].

handle_event(enter, Old, New, D = #{log := L}) -> {keep_state, D#{log := [{Old, New} | L]}};
handle_event(cast, {coin, N}, idle, D = #{credit := C}) ->
    {next_state, paying, D#{credit := C + N}, [{state_timeout, 50, refund}]};
handle_event(cast, {coin, N}, paying, D = #{credit := C}) ->
    {keep_state, D#{credit := C + N}, [{state_timeout, 50, refund}]};
handle_event(state_timeout, refund, paying, D) ->
    {next_state, idle, D#{credit := 0}};
handle_event({call, From}, vend, paying, D = #{credit := C, price := P}) when C >= P ->
    {next_state, idle, D#{credit := 0}, [{reply, From, {vended, change, C - P}}]};
handle_event({call, From}, vend, _, #{credit := C, price := P}) ->
    {keep_state_and_data, [{reply, From, {need, P - C}}]};
handle_event({call, From}, status, S, #{credit := C}) ->
    {keep_state_and_data, [{reply, From, {S, C}}]};
handle_event({call, From}, history, _, #{log := L}) ->
    {keep_state_and_data, [{reply, From, lists:reverse(L)}]};
handle_event({call, _From}, unknown_request, _, _) ->
    keep_state_and_data.

terminate(_, _, _) -> ok.
