-module(au_counter_srv).
-behaviour(gen_server).
-export([start/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2, code_change/3]).

-record(st, {count = 0 :: integer(), log = [] :: list(), name}).

start() ->
    {ok, Pid} = gen_server:start_link({local, counter}, ?MODULE, [alpha], []),
    io:format("started: ~p~n", [is_pid(Pid)]),
    ok = gen_server:cast(counter, {add, 5}),
    ok = gen_server:cast(counter, {add, 7}),
    counter ! tick,
    counter ! {note, "hello"},
    io:format("value: ~p~n", [gen_server:call(counter, get)]),
    io:format("log: ~p~n", [gen_server:call(counter, log)]),
    io:format("div: ~p~n", [gen_server:call(counter, {divide, 4})]),
    io:format("bad call: ~p~n", [catch gen_server:call(counter, {divide, 0})]),
    timer:sleep(10),
    io:format("alive after crash: ~p~n", [whereis(counter) =/= undefined]),
    %% a supervisor-less restart loop: a keeper restarts the server when it dies
    process_flag(trap_exit, true),
    Keeper = spawn_link(fun() -> keeper(0) end),
    Keeper ! {self(), ping},
    receive {pong, N0} -> io:format("keeper gen ~p~n", [N0]) end,
    exit(whereis(kept), kill),
    timer:sleep(20),
    Keeper ! {self(), ping},
    receive {pong, N1} -> io:format("keeper gen ~p~n", [N1]) end,
    io:format("kept value: ~p~n", [gen_server:call(kept, get)]),
    Keeper ! stop,
    receive {'EXIT', Keeper, R} -> io:format("keeper exit: ~p~n", [R]) end,
    io:format("timeout: ~p~n", [catch gen_server:call(counter, {sleep, 200}, 50)]),
    ok.

keeper(Gen) ->
    process_flag(trap_exit, true),
    {ok, P} = gen_server:start_link({local, kept}, ?MODULE, [kept], []),
    gen_server:cast(kept, {add, Gen * 100}),
    keeper_loop(Gen, P).

keeper_loop(Gen, P) ->
    receive
        {From, ping} -> From ! {pong, Gen}, keeper_loop(Gen, P);
        {'EXIT', P, Reason} ->
            io:format("kept died: ~p, restarting~n", [Reason]),
            keeper(Gen + 1);
        stop -> gen_server:stop(kept), exit(done)
    end.

init([Name]) ->
    {ok, #st{name = Name}}.

handle_call(get, _From, S) -> {reply, S#st.count, S};
handle_call(log, _From, S) -> {reply, lists:reverse(S#st.log), S};
handle_call({divide, D}, _From, S) -> {reply, S#st.count div D, S};
handle_call({sleep, T}, _From, S) -> timer:sleep(T), {reply, slept, S}.

handle_cast({add, N}, S = #st{count = C, log = L}) ->
    {noreply, S#st{count = C + N, log = [{add, N} | L]}}.

handle_info(tick, S) -> {noreply, S#st{log = [tick | S#st.log]}};
handle_info({note, T}, S) -> {noreply, S#st{log = [{note, T} | S#st.log]}}.

terminate(_Reason, _S) -> ok.
code_change(_Old, S, _Extra) -> {ok, S}.
