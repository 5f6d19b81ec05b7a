-module(bank).
-behaviour(gen_server).
-export([start/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

-record(account, {id :: integer(), owner :: string(), balance = 0 :: number(),
                  history = [] :: list()}).
-record(state, {accounts = #{} :: map(), next_id = 1 :: integer(), ops = 0}).

%% client API
open(Owner) -> gen_server:call(?MODULE, {open, Owner}).
deposit(Id, Amt) -> gen_server:call(?MODULE, {deposit, Id, Amt}).
withdraw(Id, Amt) -> gen_server:call(?MODULE, {withdraw, Id, Amt}).
transfer(From, To, Amt) -> gen_server:call(?MODULE, {transfer, From, To, Amt}).
report() -> gen_server:call(?MODULE, report).

init([]) -> {ok, #state{}}.

handle_call({open, Owner}, _From, S = #state{accounts = A, next_id = N}) ->
    Acc = #account{id = N, owner = Owner},
    {reply, {ok, N}, S#state{accounts = A#{N => Acc}, next_id = N + 1}};
handle_call({deposit, Id, Amt}, _From, S) when Amt > 0 ->
    with_account(Id, S, fun(Acc) -> {ok, credit(Acc, Amt, deposit)} end);
handle_call({withdraw, Id, Amt}, _From, S) ->
    with_account(Id, S, fun(#account{balance = B}) when B < Amt -> {error, {insufficient_funds, B}};
                           (Acc) -> {ok, credit(Acc, -Amt, withdraw)} end);
handle_call({transfer, From, To, Amt}, _From, S = #state{accounts = A}) ->
    case {maps:find(From, A), maps:find(To, A)} of
        {{ok, #account{balance = B}}, {ok, _}} when B >= Amt ->
            A1 = maps:update_with(From, fun(X) -> credit(X, -Amt, {to, To}) end, A),
            A2 = maps:update_with(To, fun(X) -> credit(X, Amt, {from, From}) end, A1),
            {reply, ok, bump(S#state{accounts = A2})};
        {{ok, _}, {ok, _}} -> {reply, {error, insufficient_funds}, S};
        _ -> {reply, {error, no_such_account}, S}
    end;
handle_call(report, _From, S = #state{accounts = A, ops = Ops}) ->
    Lines = [io_lib:format("~3..0B ~-8s ~10.2f ~w~n",
                           [Id, Owner, float(Bal), length(H)])
             || #account{id = Id, owner = Owner, balance = Bal, history = H}
                    <- lists:keysort(#account.id, maps:values(A))],
    Total = maps:fold(fun(_, #account{balance = B}, Sum) -> Sum + B end, 0, A),
    {reply, {lists:flatten(Lines), Total, Ops}, S};
handle_call(Other, _From, S) ->
    {reply, {error, {bad_request, Other}}, S}.

handle_cast(_Msg, S) -> {noreply, S}.
handle_info(_Msg, S) -> {noreply, S}.
terminate(_Reason, _S) -> ok.

with_account(Id, S = #state{accounts = A}, F) ->
    case maps:find(Id, A) of
        {ok, Acc} ->
            case F(Acc) of
                {ok, Acc2} -> {reply, {ok, Acc2#account.balance},
                               bump(S#state{accounts = A#{Id := Acc2}})};
                Err -> {reply, Err, S}
            end;
        error -> {reply, {error, no_such_account}, S}
    end.

credit(Acc = #account{balance = B, history = H}, Amt, Why) ->
    Acc#account{balance = B + Amt, history = [{Why, Amt} | H]}.

bump(S = #state{ops = N}) -> S#state{ops = N + 1}.

start() ->
    {ok, Pid} = gen_server:start_link({local, ?MODULE}, ?MODULE, [], []),
    true = is_pid(Pid),
    {ok, A} = open("alice"),
    {ok, B} = open("bob"),
    {ok, C} = open("carol"),
    io:format("~p~n", [[deposit(A, 100), deposit(B, 50.5), deposit(C, 1000)]]),
    io:format("~p~n", [withdraw(B, 80)]),
    io:format("~p~n", [withdraw(A, 30)]),
    io:format("~p~n", [transfer(C, A, 250)]),
    io:format("~p~n", [transfer(A, 99, 1)]),
    io:format("~p~n", [transfer(B, A, 1.0e6)]),
    io:format("~p~n", [deposit(A, -5)]),
    io:format("~p~n", [catch gen_server:call(?MODULE, {deposit, A, -5}, 100)]),
    {Text, Total, Ops} = report(),
    io:format("~s", [Text]),
    io:format("total=~.2f ops=~b hex=~.16B ~#x ~e~n", [float(Total), Ops, Ops * 255, Ops, Total / 3]),
    io:format("~10s|~-10s|~c~c|~5.1f|~tp~n", ["right", "left", $o, $k, 3.14159, "ünï"]),
    io:format("~p ~w ~P~n", [{a, "str", <<"bin">>}, {a, "str"}, lists:seq(1, 20), 5]),
    gen_server:stop(?MODULE),
    io:format("stopped: ~p~n", [whereis(?MODULE)]).
